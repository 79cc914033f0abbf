import legacy_client
import mylib.db
from mylib.db import query as q


async def f():
    legacy_client.fetch("a")
    mylib.db.query("select")
    q("x")
