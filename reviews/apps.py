from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Reviews"

    def ready(self) -> None:
        from outbox.kinds import kind_register, sweep_step_register
        from reviews import checks, emails  # noqa: F401  (checks registers the system checks)
        from reviews.selectors.parallel import parallel_steps
        from reviews.selectors.progress import progress_step_source
        from reviews.services.reports import report_requests_catch_up

        kind_register(
            emails.REPORT_REQUESTED,
            label="Management report requested",
            render=emails.report_request_message,
        )
        kind_register(emails.HANDOFF, label="Something to do", render=emails.handoff_message)
        kind_register(emails.DIGEST, label="Daily digest", render=emails.digest_message)
        sweep_step_register(report_requests_catch_up)
        progress_step_source(parallel_steps)
