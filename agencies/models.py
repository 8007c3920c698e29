from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    """The roles of DESIGN.md §2; each is a Django group holding that role's global permissions.

    Each is labelled with its own name: without a label Django would title-case the member's
    name ("Board Manager"), and GOV.UK writes names in sentence case."""

    BOARD_MANAGER = "Board manager", "Board manager"
    CHAIR = "Chair", "Chair"
    INDEPENDENT_AUTHOR = "Independent author", "Independent author"
    PANEL_MEMBER = "Panel member", "Panel member"
    AGENCY_LEAD = "Agency lead", "Agency lead"


class Agency(models.Model):
    """An organisation that takes part in reviews: police, a health trust, a school, …"""

    class Sector(models.TextChoices):
        HEALTH = "health", "Health"
        CHILDRENS_SOCIAL_CARE = "childrens_social_care", "Children's social care"
        ADULT_SOCIAL_CARE = "adult_social_care", "Adult social care"
        EDUCATION = "education", "Education"
        POLICE = "police", "Police"
        PROBATION = "probation", "Probation"
        LEGAL = "legal", "Legal"
        HOUSING = "housing", "Housing"
        VOLUNTARY = "voluntary", "Voluntary"
        OTHER = "other", "Other"

    name = models.CharField(max_length=200)
    sector = models.CharField(max_length=32, choices=Sector.choices)
    contact_email = models.EmailField(blank=True)
    is_active = models.BooleanField(default=True)
    # The agency's leads, made on first use: reviews the agency is in scope for are granted here.
    leads_group = models.OneToOneField(
        "auth.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agency",
        editable=False,
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"
        constraints = [
            models.UniqueConstraint(Lower("name"), name="agency_name_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    """Users sign in with their email address; there is no separate username."""

    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A person who signs in: board staff, chairs, authors, panel members and agency leads."""

    username = None
    email = models.EmailField("email address", unique=True)
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="people"
    )
    job_title = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords(excluded_fields=["last_login", "password"])
    # Set by services before save(); django-simple-history writes them into the history row.
    _history_user: "User | None"
    _change_reason: str

    objects = UserManager()

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email
