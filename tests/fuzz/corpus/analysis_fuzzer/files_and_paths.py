import os
import shutil
import glob
import json
from pathlib import Path

BASE = Path("/srv")


async def handler(name):
    p = BASE / name
    if os.path.exists(p):
        data = json.load(open(p))
    for child in BASE.iterdir():
        child.unlink()
    shutil.rmtree(p)
    fd = os.open(p, os.O_RDONLY)
    with os.fdopen(fd) as f:
        f.read()
    return glob.glob("*.py"), data
