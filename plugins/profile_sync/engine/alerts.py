"""Alerts through Airflow's notifiers: mail over an SMTP connection, Slack when its provider is installed.

Three occasions: a task failed for good (its retries spent; a run failed by ``fail_when`` says which records),
records failed for the first time in a run that still passed, and a run past its deadline. An alert that cannot
be sent is logged and never hides the run's own outcome.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from typing import Any

from profile_sync.profiles import Profile
from profile_sync.profiles.schema import Notify

log = logging.getLogger(__name__)
SUBJECT_PREFIX = "[profile-sync]"


def send(notify: Notify, subject: str, lines: list[str], context: Mapping[str, Any]) -> list[str]:
    """Send one alert to every target of ``notify``; return the targets reached (``email``, ``slack``)."""
    reached: list[str] = []
    text = "\n".join(lines)
    if notify.email:
        try:
            from airflow.providers.smtp.notifications.smtp import SmtpNotifier

            body = "<pre>" + html.escape(text) + "</pre>"
            # notify(), not __call__: the text is ours, not a Jinja template (a record's reason may hold "{{")
            SmtpNotifier(
                to=list(notify.email), subject=subject, html_content=body, smtp_conn_id=notify.smtp_conn_id
            ).notify(context)  # type: ignore[arg-type]
            reached.append("email")
        except Exception as exc:  # noqa: BLE001 - an alert that fails is logged, the run's outcome stands
            log.warning("alert not mailed (connection %r): %s", notify.smtp_conn_id, exc)
    if notify.slack is not None:
        try:
            from airflow.providers.slack.notifications.slack import SlackNotifier
        except ImportError:
            log.warning("alert not sent to Slack: install apache-airflow-providers-slack")
        else:
            try:
                SlackNotifier(
                    slack_conn_id=notify.slack.conn_id, channel=notify.slack.channel, text=f"*{subject}*\n{text}"
                ).notify(context)  # type: ignore[arg-type]
                reached.append("slack")
            except Exception as exc:  # noqa: BLE001
                log.warning("alert not sent to Slack (connection %r): %s", notify.slack.conn_id, exc)
    return reached


def _run_lines(context: Mapping[str, Any]) -> list[str]:
    dag_run = context.get("dag_run")
    ti = context.get("ti")
    lines = [f"run: {getattr(dag_run, 'run_id', None) or context.get('run_id', '?')}"]
    if ti is not None:
        lines.append(f"task: {ti.task_id}" + (f" [{ti.map_index}]" if getattr(ti, "map_index", -1) >= 0 else ""))
        lines.append(f"try: {getattr(ti, 'try_number', '?')}")
    return lines


def _summary_lines(summary: Mapping[str, Any]) -> list[str]:
    keys = ("fetched", "created", "updated", "matched", "skipped", "failed", "failed_new", "failed_repeated")
    return ["", "summary: " + ", ".join(f"{key} {summary.get(key, 0)}" for key in keys)]


class FailureAlert:
    """A task's ``on_failure_callback``: it failed for good, so the run fails. Says why and what to look at."""

    def __init__(self, profile: Profile) -> None:
        self.profile = profile

    def __call__(self, context: Mapping[str, Any]) -> None:
        profile = self.profile
        exc = context.get("exception")
        summary = getattr(exc, "summary", None)  # set when fail_when failed the run (engine.tasks.conclude_run)
        if summary is not None:
            subject = f"{SUBJECT_PREFIX} {profile.name}: {summary.get('failed_new', 0)} records failed, the run failed"
        else:
            subject = f"{SUBJECT_PREFIX} {profile.name}: the run failed"
        lines = [f"profile: {profile.id} ({profile.type.summary})", *_run_lines(context), "", f"error: {exc}"]
        if summary is not None:
            lines += _summary_lines(summary)
        lines.append("\nThe failed entries and their reasons are on the profile's page (Sync profiles).")
        send(profile.notify, subject, lines, context)


def records_failed(profile: Profile, summary: Mapping[str, Any], context: Mapping[str, Any]) -> list[str]:
    """Records failed for the first time in a run that passed its ``fail_when``: tell, but keep the run green."""
    notify = profile.notify
    if not (notify.on_records_failed and notify.targets and int(summary.get("failed_new", 0))):
        return []
    subject = f"{SUBJECT_PREFIX} {profile.name}: {summary['failed_new']} records failed (the run passed fail_when)"
    lines = [f"profile: {profile.id} ({profile.type.summary})", *_run_lines(context), *_summary_lines(summary)]
    lines.append("\nThe failed entries and their reasons are on the profile's page (Sync profiles).")
    return send(notify, subject, lines, context)


def deadline_missed(profile_id: str, name: str, notify: dict[str, Any], minutes: int, **context: Any) -> None:
    """A deadline alert's callback: the run has not finished ``minutes`` after it was queued."""
    settings = Notify.model_validate(notify)
    context = context.get("context", context)
    subject = f"{SUBJECT_PREFIX} {name}: a run has not finished within {minutes} min of being queued"
    lines = [f"profile: {profile_id}", *_run_lines(context), "", "Look at the run in Airflow: stuck, slow, or queued."]
    send(settings, subject, lines, context)
