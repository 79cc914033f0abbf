import queue
import threading
import concurrent.futures

import redis
import boto3

q = queue.Queue()
lock = threading.Lock()


async def consume(pool: concurrent.futures.ThreadPoolExecutor):
    item = q.get()
    lock.acquire()
    fut = pool.submit(print, item)
    fut.result()
    r = redis.Redis()
    r.get("k")
    boto3.client("s3").list_buckets()
