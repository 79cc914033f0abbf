"""Module docstring."""
from __future__ import annotations

import asyncio
import time

from fastapi import FastAPI

app = FastAPI()


@app.get("/items/{item_id}")
async def read_item(item_id: int):
    time.sleep(0.2)
    return {"id": item_id}


async def work():
    return 1


async def main():
    work()
    asyncio.create_task(work())
    asyncio.run(work())
    asyncio.get_event_loop().run_until_complete(work())
