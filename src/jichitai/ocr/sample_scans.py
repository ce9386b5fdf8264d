"""Scan conditions applied to the synthetic forms of ``samples``: rotation, shift/scale, blur,
noise with specks, heavy JPEG, a rotated page saved as heavy JPEG (a sheet fed askew into a
scanner that writes JPEG: a fine stroke is spread over two pixels, then blurred by the blocks) and
phone photos (perspective, uneven light), some taken from afar
(``distant photo``: fewer pixels per character, softer, greyer ink), and pale writing on a grainy
scan (``faint``: a dry pen or a pencil, strokes broken by the grain and the JPEG)."""

import io
import random

import numpy as np
from PIL import Image, ImageFilter

CONDITIONS = (
    "clean",
    "rotated",
    "noisy",
    "blurred",
    "jpeg",
    "rotated jpeg",
    "shifted",
    "photo",
    "distant photo",
    "faint",
)


def degrade(image: Image.Image, condition: str, rng: random.Random) -> Image.Image:
    """One scan condition applied to a page."""
    if condition in ("rotated", "shifted", "noisy", "rotated jpeg"):
        angle = rng.uniform(-3, 3) if condition != "noisy" else rng.uniform(-1, 1)
        image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    if condition == "shifted":
        scale = rng.uniform(0.95, 1.05)
        width, height = image.size
        resized = image.resize((int(width * scale), int(height * scale)), Image.BICUBIC)
        canvas = Image.new("L", (width, height), 255)
        canvas.paste(resized, (rng.randint(-40, 40), rng.randint(-40, 40)))
        image = canvas
    if condition in ("photo", "distant photo"):
        # A phone photo of a flat page: perspective, uneven light, a little blur.
        import cv2

        array = np.asarray(image)
        height, width = array.shape
        if condition == "distant photo":
            # Taken from afar: about 110-140 pixels per inch of paper, brought back to the page's size.
            small = min(1.0, rng.uniform(0.55, 0.7) * 200 / max(1, width / 8.27))
            shrunk = cv2.resize(array, None, fx=small, fy=small, interpolation=cv2.INTER_AREA)
            array = cv2.resize(shrunk, (width, height), interpolation=cv2.INTER_LINEAR)
            array = (70 + array.astype(np.float32) * (150 / 255)).astype(np.uint8)
        corners = np.float32([[0, 0], [width, 0], [width, height], [0, height]])
        jitter = np.float32(
            [
                [rng.uniform(-1, 1) * width * 0.03, rng.uniform(-1, 1) * height * 0.03]
                for _ in range(4)
            ]
        )
        matrix = cv2.getPerspectiveTransform(corners, corners + jitter)
        array = cv2.warpPerspective(array, matrix, (width, height), borderValue=200)
        light = np.linspace(rng.uniform(0.75, 0.9), 1.0, width, dtype=np.float32)[None, :]
        array = np.clip(array.astype(np.float32) * light, 0, 255).astype(np.uint8)
        image = Image.fromarray(cv2.GaussianBlur(array, (0, 0), 0.7))
        if condition == "distant photo":
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=rng.randint(60, 80))
            image = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    if condition == "faint":
        # Everything written and printed lightened towards a grey of 120-160, then the grain of a
        # cheap scanner and its JPEG: thin strokes break up and a character can vanish.
        array = np.asarray(image, dtype=np.float32)
        palest = rng.uniform(120, 160)
        array = palest + array * ((255 - palest) / 255)
        grain = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 14, array.shape)
        image = Image.fromarray(np.clip(array + grain, 0, 255).astype(np.uint8))
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.4, 0.9)))
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG", quality=rng.randint(40, 60))
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    if condition == "blurred":
        image = image.filter(ImageFilter.GaussianBlur(rng.uniform(0.8, 1.4)))
    if condition == "noisy":
        array = np.asarray(image, dtype=np.int16)
        noise = np.random.default_rng(rng.randint(0, 2**31)).normal(0, 18, array.shape)
        specks = np.random.default_rng(rng.randint(0, 2**31)).random(array.shape) < 0.0015
        array = np.clip(array + noise, 0, 255)
        array[specks] = 0
        image = Image.fromarray(array.astype(np.uint8))
    if condition in ("jpeg", "noisy", "rotated jpeg"):
        buffer = io.BytesIO()
        quality = (
            rng.randint(25, 45)
            if condition == "jpeg"
            else rng.randint(30, 50)
            if condition == "rotated jpeg"
            else 60
        )
        image.save(buffer, format="JPEG", quality=quality)
        image = Image.open(io.BytesIO(buffer.getvalue())).convert("L")
    return image
