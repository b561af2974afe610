"""EarlyPictures: what the engine began decoding before anyone asked is adopted once, bounded, and
freed when nobody will take it."""

from __future__ import annotations

import asyncio

import pytest

from studio.engine.early import EarlyPictures


async def picture(name: str, delay: float = 0.0) -> str | None:
    await asyncio.sleep(delay)
    return None if name == "undecodable" else name


def test_a_begun_picture_is_adopted_once_and_an_unknown_number_gives_nothing():
    async def scenario():
        early = EarlyPictures()
        early.begin(1, picture("answer", 0.01))
        assert await early.adopt(1) == "answer"
        assert await early.adopt(1) is None  # once
        assert await early.adopt(99) is None  # never begun here (a worker that restarted)
        early.begin(2, picture("undecodable"))
        assert await early.adopt(2) is None  # the browser could not decode it: the page decodes the bytes

    asyncio.run(scenario())


@pytest.mark.parametrize("finished", [True, False], ids=["decoded", "still decoding"])
def test_a_dropped_picture_is_released_if_it_was_decoded_and_never_adopted(finished):
    async def scenario():
        released: list[str] = []
        early = EarlyPictures(release=released.append)
        early.begin(1, picture("dropped", 0 if finished else 0.05))
        await asyncio.sleep(0.01)
        early.drop(1)
        await asyncio.sleep(0.06)
        assert await early.adopt(1) is None
        assert released == (["dropped"] if finished else [])  # a cancelled decode holds nothing
        early.drop(1)  # twice, or a number never seen: nothing happens
        early.drop(42)

    asyncio.run(scenario())


def test_past_the_bound_the_oldest_not_adopted_is_dropped():
    async def scenario():
        released: list[str] = []
        early = EarlyPictures(release=released.append, kept=2)
        for number in (1, 2, 3):
            early.begin(number, picture(f"step {number}"))
            await asyncio.sleep(0)
            await asyncio.sleep(0)
        assert len(early) == 2 and released == ["step 1"]
        assert [await early.adopt(n) for n in (1, 2, 3)] == [None, "step 2", "step 3"]

    asyncio.run(scenario())


def test_the_same_number_begun_again_replaces_and_releases_the_first():
    async def scenario():
        released: list[str] = []
        early = EarlyPictures(release=released.append)
        early.begin(5, picture("first"))
        await asyncio.sleep(0.01)
        early.begin(5, picture("second"))
        assert await early.adopt(5) == "second" and released == ["first"]

    asyncio.run(scenario())
