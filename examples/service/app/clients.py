"""Outbound clients: the legacy billing API, exchange rates and the profile cache."""

import httpx
import redis
import requests

from app.settings import BILLING_URL, RATES_URL, REDIS_HOST

_billing = requests.Session()
_billing.headers["User-Agent"] = "example-service/0.1"

_profiles = redis.Redis(host=REDIS_HOST, port=6379, decode_responses=True)


async def fetch_invoice(invoice_id: str) -> dict:
    """Invoices still come from the old billing API."""
    resp = _billing.get(f"{BILLING_URL}/invoices/{invoice_id}", timeout=5)
    resp.raise_for_status()
    return resp.json()


async def cached_profile(user_id: int) -> str | None:
    return _profiles.get(f"profile:{user_id}")


def billing_is_up() -> bool:
    """Used by the command-line health check, which is plain sync code."""
    try:
        return _billing.get(f"{BILLING_URL}/healthz", timeout=2).ok
    except requests.RequestException:
        return False


class RatesClient:
    def __init__(self, base_url: str) -> None:
        self._http = httpx.AsyncClient(base_url=base_url, timeout=5.0)

    async def latest(self, currency: str) -> float:
        resp = await self._http.get("/latest", params={"base": currency})
        resp.raise_for_status()
        return float(resp.json()["rate"])

    async def aclose(self) -> None:
        await self._http.aclose()


rates = RatesClient(RATES_URL)
