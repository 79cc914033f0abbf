import asyncio
import functools
import time


async def fine():
    await asyncio.sleep(1)
    await asyncio.to_thread(time.sleep, 1)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, functools.partial(time.sleep, 1))
    cb = lambda: time.sleep(1)

    def nested():
        time.sleep(1)

    return cb, nested
