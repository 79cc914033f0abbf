import time
import requests\


async def f(url):
    time.sleep(1)
    return requests.get(url)
