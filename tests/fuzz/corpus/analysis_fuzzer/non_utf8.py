import time

# café ÿþ
async def f():
    s = "Ã( â‚"
    time.sleep(1)  # ðŸ˜€ í €
    return s
