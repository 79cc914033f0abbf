"""HTTP routes of the example service. Run with: uvicorn app.main:app"""

import os
from contextlib import asynccontextmanager

from fastapi import APIRouter, FastAPI, HTTPException

from app import clients, storage, worker
from app.settings import REPORTS_DIR, current_notice, load_settings

settings = load_settings()


async def warm_rates_cache() -> None:
    for currency in settings.currencies:
        await clients.rates.latest(currency)


@asynccontextmanager
async def lifespan(app: FastAPI):
    warm_rates_cache()
    await worker.start(settings)
    yield
    await worker.stop()
    await clients.rates.aclose()


router = APIRouter(prefix="/api")


@router.get("/status")
async def status() -> dict:
    return {"notice": await current_notice(), "events": await storage.recent_events(limit=5)}


@router.post("/admin/reload")
async def reload_settings() -> dict:
    """Operators changed the TOML file: read it again without a restart."""
    global settings
    settings = load_settings()
    return {"currencies": list(settings.currencies)}


@router.get("/invoices/{invoice_id}")
async def get_invoice(invoice_id: str) -> dict:
    return await clients.fetch_invoice(invoice_id)


@router.get("/profiles/{user_id}")
async def get_profile(user_id: int) -> dict:
    profile = await clients.cached_profile(user_id)
    if profile is None:
        raise HTTPException(status_code=404, detail="unknown user")
    return {"user_id": user_id, "profile": profile}


@router.get("/convert")
async def convert(items: str) -> dict:
    """Sum amounts like "USD:12.5,GBP:3,USD:40" in EUR, fetching each rate only once."""
    cache: dict[str, float] = {}
    total = 0.0
    for item in items.split(","):
        currency, _, amount = item.partition(":")
        rate = cache.get(currency)
        if rate is None:
            rate = await clients.rates.latest(currency)
            cache[currency] = rate
        total += float(amount) * rate
    return {"currency": "EUR", "total": round(total, 2)}


@router.get("/reports/{name}")
async def get_report(name: str) -> dict:
    try:
        body = await storage.load_report(name)
    except FileNotFoundError:
        raise HTTPException(status_code=404, detail="no such report") from None
    return {"name": name, "csv": body}


@router.put("/reports/{name}", status_code=204)
async def put_report(name: str, rows: list[list[str]]) -> None:
    await storage.save_report(name, rows)
    await storage.archive_report(name, rows)


@router.get("/reports/{name}/size")
async def report_size(name: str) -> dict:
    path = os.path.join(REPORTS_DIR, os.path.basename(name) + ".csv")
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        raise HTTPException(status_code=404, detail="no such report") from None
    return {"name": name, "bytes": size}


@router.get("/templates/{name}")
async def get_template(name: str) -> dict:
    return {"name": name, "csv": await storage.load_template(name)}


app = FastAPI(title="example-service", lifespan=lifespan)
app.include_router(router)
