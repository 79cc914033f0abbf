"""Configuration: environment variables plus an optional TOML file."""

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

CONFIG_FILE = Path(os.environ.get("SERVICE_CONFIG", "config/service.toml"))
NOTICE_FILE = Path(os.environ.get("SERVICE_NOTICE", "config/notice.txt"))
REPORTS_DIR = Path(os.environ.get("REPORTS_DIR", "var/reports"))
EVENTS_DB = os.environ.get("EVENTS_DB", "var/events.sqlite3")

BILLING_URL = os.environ.get("BILLING_URL", "http://billing.internal:8080")
RATES_URL = os.environ.get("RATES_URL", "https://rates.example.com")
REDIS_HOST = os.environ.get("REDIS_HOST", "localhost")


@dataclass(frozen=True)
class Settings:
    database_url: str
    backup_dir: str
    currencies: tuple[str, ...] = ("EUR", "USD")
    invoice_batch: tuple[str, ...] = ()


def load_settings() -> Settings:
    """Read the TOML file once, at import time, before any event loop runs."""
    data: dict = {}
    if CONFIG_FILE.exists():
        with open(CONFIG_FILE, "rb") as f:
            data = tomllib.load(f)
    return Settings(
        database_url=os.environ.get("DATABASE_URL", data.get("database_url", "postgresql://localhost/orders")),
        backup_dir=data.get("backup_dir", "var/backups"),
        currencies=tuple(data.get("currencies", ("EUR", "USD"))),
        invoice_batch=tuple(data.get("invoice_batch", ())),
    )


async def current_notice() -> str:
    """Banner for the status page; operators edit the file without a restart."""
    return NOTICE_FILE.read_text(encoding="utf-8").strip()
