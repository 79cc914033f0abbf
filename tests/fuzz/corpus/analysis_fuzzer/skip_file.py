# loopsafe: skip-file
import time


async def f():
    time.sleep(1)
