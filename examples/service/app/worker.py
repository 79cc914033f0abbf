"""Background jobs: invoice sync and the nightly database backup."""

import asyncio
import contextlib
import logging
import subprocess
import time

import requests

from app import clients
from app.settings import Settings

log = logging.getLogger(__name__)

_tasks: set[asyncio.Task[None]] = set()
_stop = asyncio.Event()


def _keep(task: asyncio.Task[None]) -> None:
    _tasks.add(task)
    task.add_done_callback(_tasks.discard)


async def _idle(seconds: float) -> None:
    """Wait between rounds, but wake up as soon as the service shuts down."""
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(_stop.wait(), timeout=seconds)


async def start(settings: Settings) -> None:
    _stop.clear()
    _keep(asyncio.create_task(sync_invoices(settings.invoice_batch)))
    asyncio.create_task(nightly_backup(settings.database_url, settings.backup_dir))


async def stop() -> None:
    _stop.set()
    await asyncio.gather(*_tasks, return_exceptions=True)


async def sync_invoices(batch: tuple[str, ...]) -> None:
    while not _stop.is_set():
        for invoice_id in batch:
            for attempt in range(3):
                try:
                    invoice = await clients.fetch_invoice(invoice_id)
                except requests.RequestException as exc:
                    log.warning("invoice %s, attempt %d: %s", invoice_id, attempt + 1, exc)
                    time.sleep(2**attempt)
                else:
                    log.info("synced invoice %s (%s)", invoice_id, invoice.get("status"))
                    break
        await _idle(60)


async def nightly_backup(database_url: str, backup_dir: str) -> None:
    while not _stop.is_set():
        target = f"{backup_dir}/orders-{time.strftime('%Y%m%d')}.dump"
        subprocess.run(
            ["pg_dump", "--format=custom", f"--file={target}", database_url],
            check=True,
        )
        proc = await asyncio.create_subprocess_exec("gzip", "--force", target)
        if await proc.wait() != 0:
            log.error("gzip %s exited with %s", target, proc.returncode)
        await _idle(24 * 60 * 60)
