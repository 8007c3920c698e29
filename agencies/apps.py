from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"

    def ready(self) -> None:
        from agencies import emails
        from outbox.kinds import kind_register

        kind_register(
            emails.INVITATION,
            label="Invitation to set a password",
            render=emails.invitation_message,
        )
