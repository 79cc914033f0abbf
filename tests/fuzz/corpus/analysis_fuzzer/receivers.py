import requests
import sqlite3
from sqlalchemy.orm import Session


class Client:
    def __init__(self):
        self.http = requests.Session()
        self.db = sqlite3.connect("app.db")

    async def fetch(self, key):
        self.http.get("https://example.com/" + key)
        return self.db.execute("select 1").fetchall()


async def query(session: Session, cache: dict):
    cache.get("k")
    return session.query(object).all()
