"""Build a national-scale data set fast, with exactly the rows the services write.

A few "template" reviews, one for each (framework, review type, stage), are built through the
real services (reviews.builders.review_at), so their timeline, decisions, deadlines, object
permissions, access changes and history are what people produce. Every row that belongs to
them (found by following foreign keys from Review, and history rows by the id they record) is
then copied in bulk, round after round, each round with its own ids, references, dates shifted
into the past, agencies rotated (and with them their leads and leads groups) and people taken
from pools of the same role. People are made the same way from one person per role. The
chronologies, the reminder sweep and the reminders' notifications come last, in bulk, as
their services write them.

Copying rows, rather than writing each model's rows by hand, keeps the data set true to the
services as they change: a new timeline row or permission a service writes appears in every
copy without this file changing.
"""

import csv
import dataclasses
import io
import json
import re
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import cycle

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, models, transaction
from django.utils import timezone

from agencies.models import Agency, Role, User
from agencies.services import agency_create
from reviews.builders import Cast, person_create, review_at
from reviews.frameworks import Framework, Outcome
from reviews.models import ChronologyEntry, Review
from reviews.services.chronology import chronology_entry_save
from reviews.services.clock import reminders_send, reminders_sweep

DOMAIN = "scale.example"
PASSWORD = "national-scale-benchmark"
SECTORS = [choice for choice, _ in Agency.Sector.choices]
# The outcomes that carry a review on, and how far each type's template is taken.
TYPED_OUTCOMES = (Outcome.INITIATE, Outcome.PARTNERSHIP_REVIEW, Outcome.SINGLE_AGENCY_REVIEW)
TEMPLATE_STAGES = (
    "decided",
    "convened",
    "agency_reports",
    "overview",
    "action_plan",
    "publication",
)
RATIONALE = "Invented rationale: the panel weighed the criteria against what was known."
# How far each agency's report has gone at the agency-reports stage: most still open, as on a
# national deployment, where reports are the longest stage. The other variants use OPEN_MIX.
OPEN_MIX = ("requested", "secured", "requested")
REPORT_MIX = (
    "requested",
    "secured",
    "requested",
    "submitted",
    "secured",
    "requested",
    "accepted",
    "requested",
    ("excused", "The agency had no contact with the family in the period."),
)


@dataclass
class Sizes:
    """How big the data set is; the defaults are issue 15's national scale."""

    reviews: int = 20_000
    agencies: int = 60
    people: int = 2_000
    chronology: int = 2_000_000
    largest_agencies: int = 20  # the largest review: this many agencies …
    largest_entries: int = 1_000  # … with this many chronology entries each
    # The rest of the people are agency leads, shared among the agencies.
    board_managers: int = 4
    chairs: int = 16
    authors: int = 300
    panel_members: int = 1_200
    # Agencies in scope of each template, by stage (more at the stages with reports).
    scope: dict[str, int] = field(
        default_factory=lambda: {
            "referral": 4,
            "decided": 5,
            "convened": 6,
            "agency_reports": 20,
            "overview": 6,
            "action_plan": 5,
            "publication": 5,
        }
    )
    # Each copy's dates move back: one copy in four by up to this many days (older reviews),
    # the others by up to two months, so most open deadlines are not years overdue.
    max_shift_days: int = 730
    # Templates at the agency-reports stage for each (framework, type with a panel): they hold
    # most open deadlines (one a report), 10 a review on average with 6.
    report_variants: int = 6
    frameworks: tuple = tuple(Framework)


def log(step: str, started: float) -> None:
    print(f"  {step:<52} {time.perf_counter() - started:8.1f} s", flush=True)


# ---------------------------------------------------------------------------------------------
# Writing rows in bulk: COPY on PostgreSQL, executemany elsewhere (the small test on SQLite).


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, memoryview | bytes):
        return "\\x" + bytes(value).hex()
    return str(value)


def _sqlite_value(value):
    if isinstance(value, dict | list):
        return json.dumps(value)
    if isinstance(value, uuid.UUID):
        return value.hex
    return value


def rows_write(table: str, columns: list[str], rows: Iterable, *, text: bool = True) -> int:
    """Insert ``rows`` into ``table``; returns how many. On PostgreSQL the rows are already in
    COPY's text form (``_copy_value``) unless ``text`` is False."""
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            writer = csv.writer(buffer, lineterminator="\n")
            for row in rows:
                writer.writerow(row if text else [_copy_value(v) for v in row])
                count += 1
            buffer.seek(0)
            cursor.cursor.copy_expert(
                f"COPY {connection.ops.quote_name(table)} ({quoted}) FROM STDIN "
                "WITH (FORMAT csv, NULL '\\N')",
                buffer,
            )
        else:
            batch = [tuple(_sqlite_value(v) for v in row) for row in rows]
            count = len(batch)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({quoted}) VALUES ({marks})", batch)
    return count


def _table_rows(table: str, columns: list[str], where: str = "") -> list[tuple]:
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)} {where}")
        return cursor.fetchall()


def _max_pk(model) -> int:
    value = model._default_manager.aggregate(top=models.Max("pk"))["top"]
    return value or 0


def sequences_reset() -> None:
    """After rows with explicit ids: each table's sequence continues from its largest id."""
    if connection.vendor != "postgresql":
        return  # SQLite takes the next id from the table itself
    with connection.cursor() as cursor:
        for model in apps.get_models(include_auto_created=True):
            pk = model._meta.pk
            if not isinstance(pk, models.AutoField):
                continue
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                f"COALESCE((SELECT MAX({pk.column}) FROM {table}), 0) + 1, false)",
                [table, pk.column],
            )


# ---------------------------------------------------------------------------------------------
# The rows of a set of models, and copies of them with new ids.


def owned_models(root) -> list:
    """Every model whose rows belong to a ``root`` row: by a foreign key to a model that
    belongs, or, for a history model, by recording the id of a model that belongs."""
    owned = [root]
    changed = True
    while changed:
        changed = False
        for model in apps.get_models(include_auto_created=True):
            if model in owned:
                continue
            instance = getattr(model, "instance_type", None)
            linked = instance in owned or any(
                f.is_relation and f.related_model in owned for f in model._meta.concrete_fields
            )
            if linked:
                owned.append(model)
                changed = True
    return owned


@dataclass
class Shared:
    """How one copy maps what it does not copy: agencies, people, groups, dates, texts."""

    agencies: dict[int, int]
    people: dict[int, int]
    groups: dict[int, int]
    days: int
    text: Callable[[str], str] = lambda value: value
    references: dict[str, str] = field(default_factory=dict)


class Copier:
    """Copies every row of ``models_`` (as the database holds them now) once per round."""

    def __init__(
        self, models_: list, *, key_fields: dict | None = None, where: dict | None = None
    ) -> None:
        self.models = models_
        self.templates: dict = {}
        self.offsets: dict = {}
        self.spans: dict = {}
        self.key_fields = key_fields or {}  # (model label, field name) -> fn(value, k, shared)
        for model in models_:
            columns = [f.column for f in model._meta.concrete_fields]
            condition = (where or {}).get(model, "")
            self.templates[model] = _table_rows(model._meta.db_table, columns, condition)
            at = columns.index(model._meta.pk.column)
            pks = [row[at] for row in self.templates[model]]
            low, high = (min(pks), max(pks)) if pks else (0, 0)
            self.spans[model] = high - low + 1
            self.offsets[model] = _max_pk(model) + 1 - low

    def _pk_shift(self, model, k: int) -> int:
        return self.offsets[model] + k * self.spans[model]

    def _converter(self, model, fld, k: int, shared: Shared):
        instance = getattr(model, "instance_type", None)
        special = self.key_fields.get((model._meta.label, fld.name))
        if special is not None:
            return lambda v: special(v, k, shared)
        if fld.primary_key and isinstance(fld, models.AutoField):
            shift = self._pk_shift(model, k)
            return lambda v: v + shift
        if instance is not None and fld.name == instance._meta.pk.attname:
            shift = self._pk_shift(instance, k)
            return lambda v: v + shift
        if fld.is_relation:
            target = fld.related_model
            if target in self.offsets:
                shift = self._pk_shift(target, k)
                return lambda v: None if v is None else v + shift
            mapping = {Agency: shared.agencies, User: shared.people, Group: shared.groups}.get(
                target
            )
            if mapping is not None:
                return lambda v: mapping.get(v, v)
            return None
        if isinstance(fld, models.UUIDField):
            return lambda v: None if v is None else uuid.UUID(int=uuid.UUID(str(v)).int ^ (k + 1))
        if isinstance(fld, models.DateTimeField | models.DateField):
            delta = timedelta(days=shared.days)
            return lambda v: None if v is None else _shift(v, delta)
        if isinstance(fld, models.CharField | models.TextField):
            return lambda v: v if not v else shared.text(v)
        return None

    def rows(self, model, rounds: Iterable[tuple[int, Shared]]):
        """Each round's copy of the model's rows; on PostgreSQL, as the text COPY reads, the
        columns no copy changes turned into text once."""
        fields = model._meta.concrete_fields
        text = _copy_value if connection.vendor == "postgresql" else (lambda v: v)
        prepared = [[text(v) for v in row] for row in self.templates[model]]
        for k, shared in rounds:
            convert = [self._converter(model, f, k, shared) for f in fields]
            pairs = [(i, c) for i, c in enumerate(convert) if c is not None]
            for row, ready in zip(self.templates[model], prepared, strict=True):
                out = ready.copy()
                for i, c in pairs:
                    out[i] = text(c(row[i]))
                yield out

    def write(self, rounds: list[tuple[int, Shared]]) -> int:
        total = 0
        for model in self.models:
            if not self.templates[model]:
                continue
            columns = [f.column for f in model._meta.concrete_fields]
            total += rows_write(model._meta.db_table, columns, self.rows(model, rounds))
        return total


def _shift(value, delta: timedelta):
    if isinstance(value, str):  # SQLite hands back text
        parsed = datetime.fromisoformat(value) if ("T" in value or " " in value) else None
        if parsed is None:
            return (date.fromisoformat(value) - delta).isoformat()
        return (parsed - delta).isoformat(sep=" ")
    return value - delta


# ---------------------------------------------------------------------------------------------
# The steps.


@dataclass
class People:
    """Who there is, by role, and the leads of each agency."""

    managers: list[int]
    chairs: list[int]
    authors: list[int]
    panel: dict[int, list[int]]  # agency pk -> its panel members
    leads: dict[int, list[int]]  # agency pk -> its leads


def agencies_make(*, sizes: Sizes, actor: User) -> list[Agency]:
    return [
        agency_create(
            actor=actor,
            name=f"Scale agency {n:02d}",
            sector=SECTORS[n % len(SECTORS)],
            contact_email=f"agency{n}@{DOMAIN}",
        )
        for n in range(sizes.agencies)
    ]


def cast_make(*, agencies: list[Agency], manager: User) -> tuple[Cast, dict[int, User]]:
    """One person per role, and one lead and one panel member per agency, made through the
    services; returns the cast and the panel member of each agency."""

    def make(key: str, role: str, agency: Agency | None = None) -> User:
        return person_create(
            email=f"{key}@{DOMAIN}",
            first_name=key.split("-")[0].title(),
            last_name=f"Scale {key}",
            roles=[role],
            agency=agency,
        )

    panel = {a.pk: make(f"panel-{a.pk}-0", Role.PANEL_MEMBER, a) for a in agencies}
    cast = Cast(
        manager=manager,
        chair=make("chair-0", Role.CHAIR),
        author=make("author-0", Role.INDEPENDENT_AUTHOR),
        panel=[panel[agencies[0].pk]],
        leads={a.pk: make(f"lead-{a.pk}-0", Role.AGENCY_LEAD, a) for a in agencies},
    )
    return cast, panel


def people_make(
    *, sizes: Sizes, cast: Cast, panel: dict[int, User], agencies: list[Agency]
) -> People:
    """Copy each role's first person (their row, groups and history) up to the sizes asked."""
    leads_total = sizes.people - sizes.board_managers - sizes.chairs - sizes.authors
    leads_total -= sizes.panel_members
    per_agency = max(1, leads_total // len(agencies))
    panel_per_agency = max(1, sizes.panel_members // len(agencies))
    memberships = apps.get_model("agencies", "User_groups")
    history = apps.get_model("agencies", "HistoricalUser")
    pools = {
        "manager": (cast.manager, sizes.board_managers),
        "chair": (cast.chair, sizes.chairs),
        "author": (cast.author, sizes.authors),
    }
    pools |= {f"lead-{a.pk}": (cast.leads[a.pk], per_agency) for a in agencies}
    pools |= {f"panel-{a.pk}": (panel[a.pk], panel_per_agency) for a in agencies}

    def numbered(value, k, shared):
        return value.replace("-0@", f"-{k + 1}@")

    def renamed(value, k, shared):
        return f"{value} {k + 1}"

    key_fields = {
        (label, name): change
        for label in ("agencies.User", "agencies.HistoricalUser")
        for name, change in (("email", numbered), ("last_name", renamed))
    }
    made: dict[str, list[int]] = {}
    for key, (first, count) in pools.items():
        copier = Copier(
            [User, memberships, history],
            key_fields=key_fields,
            where={
                User: f"WHERE id = {first.pk}",
                memberships: f"WHERE user_id = {first.pk}",
                history: f"WHERE id = {first.pk}",
            },
        )
        identity = Shared(agencies={}, people={}, groups={}, days=0)
        copier.write([(k, identity) for k in range(count - 1)])
        made[key] = [first.pk] + [first.pk + copier._pk_shift(User, k) for k in range(count - 1)]
    sequences_reset()
    return People(
        managers=made["manager"],
        chairs=made["chair"],
        authors=made["author"],
        panel={a.pk: made[f"panel-{a.pk}"] for a in agencies},
        leads={a.pk: made[f"lead-{a.pk}"] for a in agencies},
    )


def templates_make(
    *, sizes: Sizes, cast: Cast, panel: dict[int, User], agencies: list[Agency]
) -> int:
    """One review for each framework at referral, each (framework, type) at each stage after
    it, and one closed by the decision, every one through the services."""
    made = 0
    offset = 0

    def scope(stage: str) -> list[Agency]:
        nonlocal offset
        count = min(sizes.scope[stage], len(agencies))
        chosen = [agencies[(offset + i) % len(agencies)] for i in range(count)]
        offset += 1
        return chosen

    def seated(in_scope: list[Agency]) -> Cast:
        """The cast with a panel member from an agency involved, as the panel asks."""
        return dataclasses.replace(cast, panel=[panel[in_scope[0].pk]])

    for framework in sizes.frameworks:
        review_at("referral", cast=cast, agencies_in_scope=scope("referral"), framework=framework)
        in_scope = scope("decided")
        review_at(
            "decided",
            cast=seated(in_scope),
            agencies_in_scope=in_scope,
            framework=framework,
            decision={"outcome": Outcome.NO_FURTHER_ACTION, "rationale": RATIONALE},
        )
        made += 2
        for outcome in TYPED_OUTCOMES:
            # A single-agency review has no panel: the decision is as far as the builder goes.
            stages = TEMPLATE_STAGES[:1] if outcome == Outcome.SINGLE_AGENCY_REVIEW else None
            for stage in stages or TEMPLATE_STAGES:
                variants = sizes.report_variants if stage == "agency_reports" else 1
                for variant in range(variants):
                    in_scope = scope(stage)
                    # The first has every step; the others only the cheap open ones (no files).
                    mix = REPORT_MIX if variant == 0 else OPEN_MIX[variant % 2 :]
                    reports = dict(zip(in_scope, cycle(mix), strict=False))
                    options = {"reports": reports} if stage == "agency_reports" else {}
                    review_at(
                        stage,
                        cast=seated(in_scope),
                        agencies_in_scope=in_scope,
                        framework=framework,
                        decision={"outcome": outcome, "rationale": RATIONALE},
                        **options,
                    )
                    made += 1
    return made


def _reference_plan(*, rounds: int, days: list[int]) -> tuple[list[dict[str, str]], dict]:
    """New references for every copy: each template reference (and former one) gets the next
    number of its prefix in the year its copy was referred."""
    templates = list(Review.objects.values_list("reference", "former_reference", "referred_on"))
    counters = {
        (prefix, year): last
        for prefix, year, last in apps.get_model("reviews", "ReferenceCounter").objects.values_list(
            "prefix", "year", "last_number"
        )
    }
    plans = []
    for k in range(rounds):
        plan = {}
        for reference, former, referred_on in templates:
            year = (referred_on - timedelta(days=days[k])).year
            for old in (former, reference):
                if not old:
                    continue
                prefix = old.rsplit("-", 2)[0]
                counters[(prefix, year)] = counters.get((prefix, year), 0) + 1
                plan[old] = f"{prefix}-{year}-{counters[(prefix, year)]:03d}"
        plans.append(plan)
    return plans, counters


def counters_save(counters: dict) -> None:
    """The reference counters continue after the copies' numbers."""
    counter = apps.get_model("reviews", "ReferenceCounter")
    for (prefix, year), last in counters.items():
        counter.objects.update_or_create(prefix=prefix, year=year, defaults={"last_number": last})


@dataclass
class Copy:
    """One copy of a template review: which, and how its agencies and people were mapped."""

    template: int
    review: int
    agencies: dict[int, int]
    people: dict[int, int]


def reviews_copy(
    *, sizes: Sizes, people: People, cast: Cast, agencies: list[Agency]
) -> tuple[int, list[Copy]]:
    """Copy the template reviews, round after round, until there are ``sizes.reviews``;
    returns the rows written and each copy."""
    templates = Review.objects.count()
    rounds = max(0, (sizes.reviews - templates) // templates)
    copier = Copier(owned_models(Review))
    pks = [a.pk for a in agencies]
    groups = dict(Agency.objects.values_list("pk", "leads_group_id"))
    days = [
        1 + (k * 7919) % max(1, sizes.max_shift_days if k % 4 == 0 else 60) for k in range(rounds)
    ]
    plans, counters = _reference_plan(rounds=rounds, days=days)
    pattern = re.compile("|".join(re.escape(r) for r in sorted(plans[0], key=len, reverse=True)))
    lead_of = {lead.pk: agency for agency, lead in cast.leads.items()}
    batch: list[tuple[int, Shared]] = []
    written = 0
    copies: list[Copy] = []
    template_pks = [row[0] for row in copier.templates[Review]]
    for k in range(rounds):
        turn = (k * 7 + 1) % len(pks)
        agency_map = {pk: pks[(i + turn) % len(pks)] for i, pk in enumerate(pks)}
        person_map = {
            cast.manager.pk: people.managers[k % len(people.managers)],
            cast.chair.pk: people.chairs[k % len(people.chairs)],
            cast.author.pk: people.authors[k % len(people.authors)],
        }
        for lead, agency in lead_of.items():
            leads = people.leads[agency_map[agency]]
            person_map[lead] = leads[k % len(leads)]
        for agency, members in people.panel.items():
            others = people.panel[agency_map[agency]]
            person_map[members[0]] = others[k % len(others)]
        plan = plans[k]
        shared = Shared(
            agencies=agency_map,
            people=person_map,
            groups={groups[a]: groups[agency_map[a]] for a in pks if groups[a]},
            days=days[k],
            text=lambda v, plan=plan: pattern.sub(lambda m: plan[m.group(0)], v),
            references=plan,
        )
        batch.append((k, shared))
        shift = copier._pk_shift(Review, k)
        copies += [Copy(pk, pk + shift, agency_map, person_map) for pk in template_pks]
        if len(batch) == 40 or k == rounds - 1:
            written += copier.write(batch)
            batch = []
    counters_save(counters)
    sequences_reset()
    return written, copies


def _entry_template(*, report, lead: User) -> ChronologyEntry:
    return chronology_entry_save(
        report=report,
        actor=lead,
        occurred_on=timezone.localdate() - timedelta(days=400),
        occurred_time=None,
        approximate=False,
        what_happened="Invented contact: a health visitor saw the child at home.",
        practitioner_role="Health visitor",
        source_reference="Record 1",
        analysis="",
    )


def _numbers(count: int) -> None:
    """A temporary table of the numbers 0 … count-1, to multiply rows in one statement."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS scale_numbers")
        cursor.execute("CREATE TEMPORARY TABLE scale_numbers (g integer PRIMARY KEY)")
    rows_write("scale_numbers", ["g"], ([n] for n in range(count)), text=False)


def _entries_plan(plan: list[tuple[int, int, int]]) -> None:
    """A temporary table of (report, lead, how many entries, the first new id)."""
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS scale_plan")
        cursor.execute(
            "CREATE TEMPORARY TABLE scale_plan "
            "(report_id integer, lead_id integer, n integer, first integer)"
        )
    first = 0
    rows = []
    for report, lead, count in plan:
        rows.append((report, lead, count, first))
        first += count
    rows_write("scale_plan", ["report_id", "lead_id", "n", "first"], rows, text=False)


def _entries_insert(*, model, template_id: int, first_id: int, history_first: int = 0) -> int:
    """Every planned entry (or its history row), made from the template entry in one
    INSERT … SELECT: the report, the lead who wrote it, its date and words changed."""
    sqlite = connection.vendor == "sqlite"
    number = f"(p.first + n.g + {first_id})"
    days = f"(({number} * 37) %% 1500)"  # %% : the query is sent with parameters
    overrides = {
        "id": number,
        "request_id": "p.report_id",
        "created_by_id": "p.lead_id",
        "occurred_on": f"date(t.occurred_on, '-' || {days} || ' days')"
        if sqlite
        else f"t.occurred_on - {days}",
        "what_happened": "'Invented contact ' || (n.g + 1) || ': a practitioner saw the family.'",
        "source_reference": "'Record ' || (n.g + 1)",
        "history_id": f"(p.first + n.g + {history_first})",
        "history_user_id": "p.lead_id",
    }
    columns = [f.column for f in model._meta.concrete_fields]
    select = ", ".join(overrides.get(c, f"t.{connection.ops.quote_name(c)}") for c in columns)
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    key = "id" if model is ChronologyEntry else "history_id"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {model._meta.db_table} ({quoted}) SELECT {select} "
            f"FROM scale_plan p JOIN scale_numbers n ON n.g < p.n "
            f"CROSS JOIN {model._meta.db_table} t WHERE t.{key} = %s",
            [template_id],
        )
        return cursor.rowcount


def chronologies_make(*, sizes: Sizes, cast: Cast, agencies: list[Agency]) -> tuple[int, str]:
    """Chronology entries (with their history rows) as chronology_entry_save writes them:
    the largest review's agencies get ``largest_entries`` each, the rest are spread over every
    other report. Returns the count and the largest review's reference."""
    report_model = apps.get_model("reviews", "ReportRequest")
    largest = review_at(
        "agency_reports",
        cast=cast,
        agencies_in_scope=agencies[: sizes.largest_agencies],
        referral={"subject_reference": "Child Largest"},
    )
    sequences_reset()
    first = largest.reports[0]
    template = _entry_template(report=first, lead=cast.lead_of(first.agency))
    history_model = ChronologyEntry.history.model
    template_history = history_model.objects.get(id=template.pk).history_id
    leads = dict(User.objects.filter(groups__name=Role.AGENCY_LEAD).values_list("agency_id", "pk"))
    reports = list(report_model.objects.order_by("pk").values_list("pk", "agency_id", "review_id"))
    big = [r for r in reports if r[2] == largest.review.pk]
    rest = [r for r in reports if r[2] != largest.review.pk]
    plan = [
        (r[0], leads[r[1]], sizes.largest_entries - (1 if r[0] == first.pk else 0)) for r in big
    ]
    remaining = max(0, sizes.chronology - sizes.largest_entries * len(big))
    if rest:
        each, extra = divmod(remaining, len(rest))
        plan += [(r[0], leads[r[1]], each + (1 if i < extra else 0)) for i, r in enumerate(rest)]
    _numbers(max(count for _r, _l, count in plan))
    _entries_plan(plan)
    first_id = _max_pk(ChronologyEntry) + 1
    count = _entries_insert(model=ChronologyEntry, template_id=template.pk, first_id=first_id)
    _entries_insert(
        model=history_model,
        template_id=template_history,
        first_id=first_id,
        history_first=_max_pk(history_model) + 1,
    )
    sequences_reset()
    return count + 1, largest.review.reference


def reminders_make() -> tuple[int, int, int]:
    """The reminder sweep (the service), then what reminder_send writes for each deadline's
    reminder due by today (a notification, the reminder marked sent), in bulk, with no email;
    the board managers' daily summaries (a few) are sent by the service itself."""
    pending = reminders_sweep()
    reminder = apps.get_model("reviews", "Reminder")
    summaries = reminder.objects.filter(
        pk__in=pending, deadline__isnull=True, status=reminder.Status.PENDING
    )
    reminders_send(ids=list(summaries.values_list("pk", flat=True)))
    notification = apps.get_model("reviews", "Notification")
    deadline_model = apps.get_model("reviews", "Deadline")
    subjects = {
        reminder.Kind.BEFORE: "{ref}: {what} due by {due}",
        reminder.Kind.DUE: "{ref}: {what} due today",
        reminder.Kind.OVERDUE: "{ref}: {what} overdue since {due}",
    }
    due = reminder.objects.filter(
        status=reminder.Status.PENDING, send_on__lte=timezone.localdate(), deadline__isnull=False
    )
    deadlines = {}
    for deadline in deadline_model.objects.filter(pk__in=due.values("deadline_id")).select_related(
        "review"
    ):
        deadlines[deadline.pk] = (
            deadline.review.reference,
            deadline.get_kind_display(),
            f"{deadline.due_on:%-d %B %Y}",
            deadline.get_absolute_url(),
            deadline.review_id,
        )
    now = timezone.now()

    def rows():
        for pk, kind, recipient, deadline_id in due.values_list(
            "pk", "kind", "recipient_id", "deadline_id"
        ).iterator(chunk_size=20_000):
            ref, what, on, url, review = deadlines[deadline_id]
            text = subjects[kind].format(ref=ref, what=what, due=on)
            yield (recipient, "reminder", review, text, url, now, None, False, pk)

    columns = [
        "recipient_id",
        "event",
        "review_id",
        "text",
        "url",
        "created_at",
        "read_at",
        "digest_pending",
        "reminder_id",
    ]
    made = rows_write(notification._meta.db_table, columns, rows(), text=False)
    due.update(status=reminder.Status.SENT, sent_at=now, attempts=1)
    return reminder.objects.count(), made, len(pending)


@transaction.atomic
def build(*, sizes: Sizes) -> tuple[dict, list[Copy]]:
    """Build the data set into the empty, migrated database; returns what it made and each
    copy of a template review."""
    started = time.perf_counter()
    facts: dict = {}
    superuser = User.objects.create_superuser(f"admin@{DOMAIN}")
    manager = person_create(
        email=f"manager-0@{DOMAIN}",
        first_name="Manager",
        last_name="Scale manager-0",
        roles=[Role.BOARD_MANAGER],
    )
    agencies = agencies_make(sizes=sizes, actor=manager)
    cast, panel = cast_make(agencies=agencies, manager=manager)
    log("agencies and one person per role (services)", started)
    facts["templates"] = templates_make(sizes=sizes, cast=cast, panel=panel, agencies=agencies)
    log(f"{facts['templates']} template reviews (services)", started)
    people = people_make(sizes=sizes, cast=cast, panel=panel, agencies=agencies)
    # One hash for everyone: hashing 2,000 passwords would take minutes.
    User.objects.update(password=make_password(PASSWORD))
    facts["people"] = User.objects.count() - 1
    log(f"{facts['people']} people (copies)", started)
    facts["rows_copied"], copies = reviews_copy(
        sizes=sizes, people=people, cast=cast, agencies=agencies
    )
    facts["reviews"] = Review.objects.count()
    log(f"{facts['reviews']} reviews ({facts['rows_copied']} rows copied)", started)
    facts["chronology"], facts["largest"] = chronologies_make(
        sizes=sizes, cast=cast, agencies=agencies
    )
    facts["reviews"] = Review.objects.count()
    log(f"{facts['chronology']} chronology entries (largest {facts['largest']})", started)
    facts["reminders"], facts["notifications"], facts["reminders_due"] = reminders_make()
    log(f"{facts['reminders']} reminders, {facts['notifications']} notifications", started)
    deadline = apps.get_model("reviews", "Deadline")
    facts["open_deadlines"] = deadline.objects.filter(state="open").count()
    facts["deadlines"] = deadline.objects.count()
    facts["superuser"] = superuser.email
    facts["agency_lead"] = User.objects.get(pk=cast.leads[agencies[0].pk].pk).email
    return facts, copies
