"""FastAPI peer of bench/async: GET /wait sleeps 50 ms on the event loop,
then answers {"ok": true}.

start (one worker, the asyncio loop):
    python3 -m uvicorn --app-dir peers fastapi_app:app \
        --host 127.0.0.1 --port PORT --workers 1 --loop asyncio
"""
import asyncio

from fastapi import FastAPI

app = FastAPI()


@app.get("/wait")
async def wait():
    await asyncio.sleep(0.05)
    return {"ok": True}
