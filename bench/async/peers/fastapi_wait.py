import asyncio
from fastapi import FastAPI
app = FastAPI()
@app.get("/wait")
async def wait():
    await asyncio.sleep(0.05)
    return {"ok": True}
