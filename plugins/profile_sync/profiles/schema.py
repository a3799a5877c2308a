"""The profile schema: one pydantic model per profile setting group, mirroring the seeds' settings screens.

The schema knows nothing of Airflow. ``profile_model(type)`` gives the model of one profile type, whose
``entity_config`` is that type's own options model; the loader picks it from the triple in the file.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import cache
from typing import Annotated, Any, Literal

from croniter import CroniterBadCronError, CroniterBadDateError, croniter
from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from profile_sync.profiles.catalogue import CATALOGUE, ProfileType
from profile_sync.profiles.entity_configs import EntityConfig
from profile_sync.profiles.plenty_languages import UnknownLanguage, plenty_language

PROFILE_ID_PATTERN = r"^[a-z][a-z0-9_]{0,99}$"
CONN_ID_PATTERN = r"^[A-Za-z0-9_.-]{1,250}$"
SCHEDULE_PRESETS = ("@hourly", "@daily", "@weekly", "@monthly", "@quarterly", "@yearly", "@annually")


class StrictModel(BaseModel):
    """Unknown keys are errors everywhere in a profile; loaded profiles are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class ScheduleConfig(StrictModel):
    """The seeds' "Schedule Configuration" (enable and schedule live at the top level)."""

    process_batch_size: int = Field(100, ge=1, le=10_000)
    retry_on_error: bool = True
    max_failed_attempts: int = Field(5, ge=1, le=100, description="Attempts before a failed entry is parked.")
    enable_history: bool = True
    history_retention_days: int | None = Field(
        90, ge=1, le=3650, description="Per-record history older than this is pruned (maintenance DAG); null: kept."
    )


class ApiConfig(StrictModel):
    """The seeds' "Http API Configuration"."""

    behaviour: Literal["append", "replace"] = "append"
    collection_size: int = Field(100, ge=25, le=100)
    overlap_seconds: int = Field(
        300, ge=0, le=86_400, description="How far before the watermark an append run looks again."
    )


class StoreMapping(StrictModel):
    """One Magento store, its locale, and the system's own store key where it has one."""

    store: str = Field(pattern=r"^[a-z][a-z0-9_]{0,31}$", description="Magento store view code.")
    locale: str = Field(pattern=r"^[a-z]{2}(_[A-Z]{2})?$", description="Language, e.g. en or de_AT.")
    plenty_id: int | None = Field(None, ge=1, description="PlentyONE client (store) id: plentyId.")
    referrer_id: float | None = Field(None, ge=0, description="PlentyONE order referrer.")


class StoreConfig(StrictModel):
    """The seeds' "Store Configuration"."""

    restrict: bool = False
    mapping: tuple[StoreMapping, ...] = ()

    @model_validator(mode="after")
    def _mapping_is_usable(self) -> StoreConfig:
        codes = [m.store for m in self.mapping]
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            raise ValueError(f"store mapped more than once: {', '.join(duplicates)}")
        if self.restrict and not self.mapping:
            raise ValueError("restrict is true but no store is mapped: map at least one store")
        return self

    def stores(self) -> tuple[str, ...] | None:
        """The stores in scope, or None for all stores."""
        return tuple(m.store for m in self.mapping) if self.restrict else None

    def in_scope(self) -> list[StoreMapping]:
        """The mappings of the stores in scope (every mapping where the profile is not restricted)."""
        scope = self.stores()
        return [m for m in self.mapping if scope is None or m.store in scope]

    def mapping_of(self, store: str | None) -> StoreMapping | None:
        """The mapping of a Magento store view (None: the store is not mapped)."""
        return next((m for m in self.mapping if m.store == store), None)


class EventConfig(StrictModel):
    """The seeds' "Event Configuration"."""

    add_new_to_export_queue: bool = Field(
        True,
        description="false: a record new to the profile is synced only when asked for (queued on the profile page, "
        "or a targeted run); records synced before keep syncing. Exports and imports alike.",
    )
    delete_externally: bool = Field(
        False,
        description="A record gone from the source is deleted in the target (or hidden/deactivated where the type "
        "says so); refused for types whose records are never deleted (orders, stock, invoices, credit notes).",
    )


class LogConfig(StrictModel):
    """The seeds' "Log Configuration": request/response bodies in the task log (secrets are always masked)."""

    request_data: bool = False
    response_data: bool = False
    records: Literal["all", "changes"] = Field(
        "all", description="changes: log only created, updated, matched and failed records (large resyncs)."
    )
    progress_seconds: int = Field(30, ge=1, le=3600, description="A progress line this often in fetch and push.")


class Connections(StrictModel):
    """Airflow connection ids; credentials live in the Connections, never in a profile."""

    magento: str = Field("magento_default", pattern=CONN_ID_PATTERN)
    plenty: str = Field("plenty_default", pattern=CONN_ID_PATTERN)
    freeagent: str = Field("freeagent_default", pattern=CONN_ID_PATTERN)


class TaskRetries(StrictModel):
    """Airflow's task-level retries (the HTTP client retries single requests on its own)."""

    retries: int = Field(3, ge=0, le=20)
    retry_delay_seconds: int = Field(60, ge=1, le=86_400)
    exponential_backoff: bool = True
    max_retry_delay_seconds: int = Field(1800, ge=1, le=86_400)


class RunConfig(StrictModel):
    """How a run spreads: batches are grouped into at most ``max_parallel_batches`` mapped task instances."""

    max_parallel_batches: int = Field(8, ge=1, le=64)
    execution_timeout_minutes: int = Field(120, ge=1, le=24 * 60)


class ScheduleAfter(StrictModel):
    """Run after other profiles: once each of them has finished a successful run since this one last ran.

    Each profile's DAG updates an Airflow Asset when its run succeeds; this schedule waits for those Assets.
    """

    after: tuple[str, ...] = Field(min_length=1, description="Profile ids this profile runs after.")

    @field_validator("after")
    @classmethod
    def _ids(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for profile_id in value:
            if not re.fullmatch(PROFILE_ID_PATTERN, profile_id):
                raise ValueError(f"{profile_id!r} is not a profile id (a file name such as customer_import_plenty)")
        if len(set(value)) != len(value):
            raise ValueError("a profile is named twice")
        return value


def _schedule_kind(value: object) -> str:
    return "cron" if isinstance(value, str) else "after"


# a cron/preset string, or {after: [...]}; the discriminator keeps errors to the one shape that was meant
Schedule = Annotated[
    Annotated[str, Tag("cron")] | Annotated[ScheduleAfter, Tag("after")],
    Discriminator(_schedule_kind),
]


class FailWhen(StrictModel):
    """When a run whose records failed ends failed, after it has committed everything.

    Only records that failed for the first time in the run count by default: a record that keeps failing is
    already a failed entry (with its reason, shown on the profile page) and must not turn every later run red.
    Shorthands: ``never``, a number (``new_failed``), or a share such as ``"5%"`` (``new_failed_share``).
    """

    new_failed: int | None = Field(
        1, ge=1, description="The run fails when at least this many records failed in it; null: not by count."
    )
    new_failed_share: float | None = Field(
        None, gt=0, le=1, description="The run fails when at least this share of its fetched records failed."
    )
    count_repeated: bool = Field(
        False, description="Also count records that had failed on earlier runs already (fail until fixed)."
    )

    @model_validator(mode="before")
    @classmethod
    def _shorthand(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("give never, a number of records, a share such as '5%', or a mapping")
        if isinstance(value, int):
            return {"new_failed": value, "new_failed_share": None}
        if isinstance(value, str):
            text = value.strip().lower()
            if text == "never":
                return {"new_failed": None, "new_failed_share": None}
            if text.endswith("%"):
                try:
                    share = float(text[:-1]) / 100
                except ValueError:
                    raise ValueError(f"{value!r} is not a share; write it like '5%'") from None
                return {"new_failed": None, "new_failed_share": share}
            raise ValueError(f"{value!r}: give never, a number of records, a share such as '5%', or a mapping")
        return value

    @property
    def never(self) -> bool:
        return self.new_failed is None and self.new_failed_share is None


class SlackNotify(StrictModel):
    """A Slack channel, through the Slack provider's notifier (apache-airflow-providers-slack must be installed)."""

    conn_id: str = Field("slack_api_default", pattern=CONN_ID_PATTERN, description="A Slack API connection.")
    channel: str = Field(pattern=r"^[#@]?[A-Za-z0-9._-]{1,80}$")


class Notify(StrictModel):
    """Alerts through Airflow's notifiers: mail over the SMTP connection (Airflow ships the SMTP provider), Slack.

    Credentials live in the connections; this names addresses, channels and connection ids only.
    """

    email: tuple[str, ...] = Field((), description="Addresses to mail; empty: no mail.")
    smtp_conn_id: str = Field("smtp_default", pattern=CONN_ID_PATTERN)
    slack: SlackNotify | None = None
    on_failure: bool = Field(True, description="A task failed for good (after its retries), so the run failed.")
    on_records_failed: bool = Field(True, description="Records failed for the first time, even if the run passed.")
    deadline_minutes: int | None = Field(
        None, ge=1, le=7 * 24 * 60, description="Alert when a run has not finished this long after it was queued."
    )

    @field_validator("email")
    @classmethod
    def _addresses(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for address in value:
            if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", address):
                raise ValueError(f"{address!r} is not a mail address")
        return value

    @property
    def targets(self) -> bool:
        return bool(self.email or self.slack)


class Profile(StrictModel):
    """One sync job of one entity in one direction."""

    id: str = Field(pattern=PROFILE_ID_PATTERN, description="The DAG id; stable; never reused for another type.")
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(None, max_length=2000)
    system: Literal["plenty", "freeagent"]
    entity: str
    direction: Literal["import", "export"]
    enabled: bool = False
    schedule: Schedule | None = None
    connections: Connections = Field(default_factory=Connections)
    schedule_config: ScheduleConfig = Field(default_factory=ScheduleConfig)
    api: ApiConfig = Field(default_factory=ApiConfig)
    store: StoreConfig = Field(default_factory=StoreConfig)
    events: EventConfig = Field(default_factory=EventConfig)
    log: LogConfig = Field(default_factory=LogConfig)
    task_retries: TaskRetries = Field(default_factory=TaskRetries)
    run: RunConfig = Field(default_factory=RunConfig)
    fail_when: FailWhen = Field(default_factory=FailWhen)
    notify: Notify = Field(default_factory=Notify)
    entity_config: EntityConfig = Field(default_factory=EntityConfig)

    @field_validator("events")
    @classmethod
    def _events_fit_the_type(cls, value: EventConfig, info: ValidationInfo) -> EventConfig:
        kind = CATALOGUE.get((info.data.get("system"), info.data.get("entity"), info.data.get("direction")))
        if value.delete_externally and kind is not None and kind.delete_refused:
            raise ValueError(
                f"delete_externally is not an option of {kind.label}: {kind.delete_refused}; set it to false"
            )
        return value

    @field_validator("schedule")
    @classmethod
    def _schedule_fires(cls, value: Schedule | None) -> Schedule | None:
        if not isinstance(value, str):
            return value
        check_schedule(value)
        return value.strip()

    @model_validator(mode="after")
    def _not_after_itself(self) -> Profile:
        if isinstance(self.schedule, ScheduleAfter) and self.id in self.schedule.after:
            raise ValueError(f"schedule.after: profile {self.id!r} cannot run after itself")
        return self

    @model_validator(mode="after")
    def _store_keys_fit_the_system(self) -> Profile:
        if self.system == "plenty":  # PlentyONE has language codes of its own: a locale must map to one
            for index, mapping in enumerate(self.store.mapping):
                try:
                    plenty_language(mapping.locale)
                except UnknownLanguage as exc:
                    raise ValueError(f"store.mapping[{index}].locale: {exc}") from None
        if self.system != "plenty":
            for index, mapping in enumerate(self.store.mapping):
                if mapping.plenty_id is not None or mapping.referrer_id is not None:
                    raise ValueError(
                        f"store.mapping[{index}]: plenty_id/referrer_id are PlentyONE store keys; "
                        f"a {self.system} profile has none"
                    )
        return self

    @property
    def type(self) -> ProfileType:
        return CATALOGUE[(self.system, self.entity, self.direction)]

    @property
    def system_connection(self) -> str:
        return getattr(self.connections, self.system)

    def __reduce__(self) -> tuple[Any, ...]:
        # the per-type models are made at run time (profile_model), so pickle cannot find them by name: rebuild
        # through profile_model (the DAG files' parse cache keeps loaded profiles, see parse_cache)
        return (_restore_profile, ((self.system, self.entity, self.direction), self.__getstate__()))


def check_schedule(value: str) -> None:
    """Raise ValueError unless ``value`` is a preset or a 5-field cron expression that fires."""
    text = value.strip()
    if text.startswith("@"):
        if text not in SCHEDULE_PRESETS:
            raise ValueError(f"unknown preset {text!r}; allowed: {', '.join(SCHEDULE_PRESETS)}")
        return
    fields = re.split(r"\s+", text)
    if len(fields) != 5:
        raise ValueError(f"{text!r} has {len(fields)} fields; a cron schedule has 5 (minute hour day month weekday)")
    try:
        croniter(text, datetime(2020, 1, 1, tzinfo=UTC)).get_next(datetime)
    except CroniterBadCronError as exc:
        raise ValueError(f"{text!r} is not a valid cron expression: {exc}") from None
    except CroniterBadDateError:
        raise ValueError(f"{text!r} never fires (no matching date)") from None


def _restore_profile(key: tuple[str, str, str], state: dict[str, Any]) -> Profile:
    model = profile_model(CATALOGUE[key])
    restored = model.__new__(model)
    restored.__setstate__(state)
    return restored


@cache
def profile_model(profile_type: ProfileType) -> type[Profile]:
    """The Profile model of one type: ``entity_config`` typed as that type's options."""
    config = profile_type.config_model
    return create_model(
        f"Profile[{profile_type.key}]",
        __base__=Profile,
        entity_config=(config, Field(default_factory=config)),
    )
