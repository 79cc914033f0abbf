import time as t
from time import sleep as nap
import subprocess


def open(path):
    return path


async def run():
    t.sleep(1)
    nap(0.1)
    open("not the builtin")
    subprocess.run(["ls"], check=True)
    input("name? ")
