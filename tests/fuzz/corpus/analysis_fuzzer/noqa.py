import time


async def f():
    time.sleep(1)  # noqa: ASYNC251
    time.sleep(2)  # noqa
    time.sleep(3)  # noqa: LS101, ASYNC251
    time.sleep(4)  # type: ignore
    x = """
    time.sleep(5)
    """
    time.sleep(6) or \
        time.sleep(7)
    return x
