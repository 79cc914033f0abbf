import time
async def f():
    return [time.sleep(i) for i in range(3)], {k: time.sleep(k) async for k in g()}, (await x if time.sleep(0) else None)
