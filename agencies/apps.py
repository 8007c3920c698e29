from django.apps import AppConfig


class AgenciesConfig(AppConfig):
    name = "agencies"

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in

        from agencies import emails
        from agencies.signin import record_sign_in
        from outbox.kinds import kind_register

        kind_register(
            emails.INVITATION,
            label="Invitation to set a password",
            render=emails.invitation_message,
        )
        kind_register(
            emails.PASSWORD_RESET,
            label="Link to reset a password",
            render=emails.password_reset_message,
        )
        kind_register(
            emails.AUTHENTICATOR_RESET,
            label="Authenticator app reset",
            render=emails.authenticator_reset_message,
        )
        # Session bookkeeping, not a business rule: every way of signing in (the sign-in page,
        # the admin's, a test's force_login) records when the password was given.
        user_logged_in.connect(record_sign_in, dispatch_uid="agencies.record_sign_in")
