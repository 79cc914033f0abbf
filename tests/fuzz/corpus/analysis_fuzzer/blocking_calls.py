import time
from pathlib import Path

import requests


async def handler(request):
    time.sleep(2)
    resp = requests.get("https://example.com", timeout=5)
    with open("out.txt", "w") as f:
        f.write(resp.text)
    return Path("/srv/data").read_text()
