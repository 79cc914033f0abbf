import time

async def f(:
    time.sleep(1
    if x
        requests.get(
  return

async def g():
	time.sleep(2)
        await
