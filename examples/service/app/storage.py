"""Reports on disk and the audit-event log in SQLite."""

import asyncio
import csv
import io
import sqlite3
from pathlib import Path

import aiofiles

from app.settings import EVENTS_DB, REPORTS_DIR

_events = sqlite3.connect(EVENTS_DB, check_same_thread=False)


def _report_path(name: str) -> Path:
    return REPORTS_DIR / f"{Path(name).name}.csv"


async def load_report(name: str) -> str:
    with open(_report_path(name), encoding="utf-8") as f:
        return f.read()


async def save_report(name: str, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    async with aiofiles.open(_report_path(name), "w", encoding="utf-8") as f:
        await f.write(buf.getvalue())


async def load_template(name: str) -> str:
    path = REPORTS_DIR / "templates" / f"{Path(name).name}.csv"
    return await asyncio.to_thread(path.read_text, encoding="utf-8")


def export_csv(rows: list[list[str]], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)


async def archive_report(name: str, rows: list[list[str]]) -> Path:
    path = REPORTS_DIR / "archive" / f"{Path(name).name}.csv"
    await asyncio.to_thread(export_csv, rows, path)
    return path


def record_event(message: str) -> None:
    with _events:
        _events.execute("INSERT INTO events (ts, message) VALUES (datetime('now'), ?)", (message,))


async def recent_events(limit: int = 50) -> list[tuple[str, str]]:
    return _events.execute(
        "SELECT ts, message FROM events ORDER BY ts DESC LIMIT ?", (limit,)
    ).fetchall()
