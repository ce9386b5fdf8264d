"""Registration of a scanned page onto the template's blank page: ORB features, matched with a
ratio test, a RANSAC homography (which also removes skew, shift, scale and a phone's perspective),
then a quality score: the share of the blank form's printed lines that the warped page covers.
A page that cannot be aligned is reported as such; nothing is guessed."""

from dataclasses import dataclass

import numpy as np

from jichitai.core.extras import require

WORK_WIDTH = 1000  # features are found on pages scaled to this width (speed; A4 lines stay clear)
MIN_INLIERS = 25
MIN_SCORE = 0.8  # forms of one office share boilerplate: a different form scores ~0.5–0.66
INK = 150  # gray level below which a pixel is ink


@dataclass
class Alignment:
    aligned: bool
    score: float
    image: np.ndarray | None  # the page warped onto the reference (same size), when aligned
    inliers: int = 0
    reason: str = ""


def ink_mask(gray: np.ndarray) -> np.ndarray:
    return (gray < INK).astype(np.uint8)


class Reference:
    """The blank page, with what alignment needs computed once."""

    def __init__(self, image: np.ndarray):
        cv2 = require("cv2", extra="ocr")
        self.image = image
        self.height, self.width = image.shape[:2]
        self.scale = min(1.0, WORK_WIDTH / self.width)
        small = _resize(image, self.scale)
        self.orb = cv2.ORB_create(nfeatures=3000, scaleFactor=1.2, nlevels=8, fastThreshold=10)
        self.keypoints, self.descriptors = self.orb.detectAndCompute(small, None)
        self.small_shape = small.shape
        # Printed lines of the form, for the score: sampled where the blank page has ink.
        ink = ink_mask(small)
        ys, xs = np.nonzero(ink)
        if len(xs) > 20000:
            pick = np.random.default_rng(0).choice(len(xs), 20000, replace=False)
            ys, xs = ys[pick], xs[pick]
        self.ink_points = (ys, xs)
        self.ink = ink
        half = cv2.resize(small, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
        self.smooth = cv2.GaussianBlur(half, (0, 0), 1.0).astype(np.float32)


def _resize(image: np.ndarray, scale: float) -> np.ndarray:
    cv2 = require("cv2", extra="ocr")
    if abs(scale - 1.0) < 1e-3:
        return image
    return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)


def align(page: np.ndarray, reference: Reference) -> Alignment:
    cv2 = require("cv2", extra="ocr")
    if reference.descriptors is None or len(reference.keypoints) < MIN_INLIERS:
        return Alignment(False, 0.0, None, reason="白紙の様式に特徴点が足りません。")
    # Bring the page to the working width first so that 150–600 dpi scans look alike.
    page_scale = reference.small_shape[1] / page.shape[1]
    small = _resize(page, page_scale)
    keypoints, descriptors = reference.orb.detectAndCompute(small, None)
    if descriptors is None or len(keypoints) < MIN_INLIERS:
        return Alignment(
            False, 0.0, None, reason="ページに特徴点が足りません(白紙か、読み取れません)。"
        )
    matcher = cv2.BFMatcher(cv2.NORM_HAMMING)
    pairs = matcher.knnMatch(descriptors, reference.descriptors, k=2)
    good = [p[0] for p in pairs if len(p) == 2 and p[0].distance < 0.8 * p[1].distance]
    if len(good) < MIN_INLIERS:
        return Alignment(False, 0.0, None, reason="様式が一致しません(対応点が足りません)。")
    source = np.float32([keypoints[m.queryIdx].pt for m in good]).reshape(-1, 1, 2)
    target = np.float32([reference.keypoints[m.trainIdx].pt for m in good]).reshape(-1, 1, 2)
    # A flatbed scan differs from the blank by rotation, shift and scale: fit that first (few
    # parameters, robust), then let a homography refine it for phone photos when it fits better.
    similarity, mask = cv2.estimateAffinePartial2D(
        source, target, method=cv2.RANSAC, ransacReprojThreshold=3.0, maxIters=4000
    )
    if similarity is None:
        return Alignment(False, 0.0, None, 0, "様式が一致しません(位置を合わせられません)。")
    inliers = int(mask.sum())
    candidates = [np.vstack([similarity, [0, 0, 1]])]
    if inliers >= MIN_INLIERS:
        chosen = mask.ravel().astype(bool)
        homography, _ = cv2.findHomography(source[chosen], target[chosen], cv2.RANSAC, 3.0)
        if homography is not None and _plausible(homography):
            candidates.append(homography)
    # A phone photo has perspective: a homography fitted to all the matches.
    homography, mask = cv2.findHomography(source, target, cv2.USAC_MAGSAC, 4.0, maxIters=5000)
    if homography is not None and int(mask.sum()) >= MIN_INLIERS and _plausible(homography):
        candidates.append(homography)
    if inliers < MIN_INLIERS or not _plausible(candidates[0]):
        return Alignment(False, 0.0, None, inliers, "様式が一致しません(位置を合わせられません)。")
    best, score = None, -1.0
    for candidate in candidates:
        small_warped = cv2.warpPerspective(
            small,
            candidate,
            (reference.small_shape[1], reference.small_shape[0]),
            flags=cv2.INTER_LINEAR,
            borderValue=255,
        )
        candidate_score = _score(small_warped, reference)
        if candidate_score > score + 0.01:
            best, score = candidate, candidate_score
    homography = best
    homography, score = _refine(small, homography, reference, score)
    if score < MIN_SCORE:
        return Alignment(False, score, None, inliers, "様式が一致しないか、ずれが大きすぎます。")
    # The full-resolution warp: page pixels → small page → small reference → reference pixels.
    to_small = np.diag([page_scale, page_scale, 1.0])
    from_small = np.diag([1 / reference.scale, 1 / reference.scale, 1.0])
    full = from_small @ homography @ to_small
    warped = cv2.warpPerspective(
        page, full, (reference.width, reference.height), flags=cv2.INTER_LINEAR, borderValue=255
    )
    return Alignment(True, score, warped, inliers)


def _refine(small: np.ndarray, homography: np.ndarray, reference: Reference, score: float):
    """Sub-pixel correction by ECC (intensity alignment) of the roughly warped page onto the blank,
    affine first and, for what is still off (a phone photo's perspective), a homography; each kept
    only when it raises the score."""
    cv2 = require("cv2", extra="ocr")
    size = (reference.small_shape[1], reference.small_shape[0])
    to_half = np.diag([0.5, 0.5, 1.0])
    for motion in (cv2.MOTION_AFFINE, cv2.MOTION_HOMOGRAPHY):
        if score >= 0.97:
            break
        warped = cv2.warpPerspective(
            small, homography, size, flags=cv2.INTER_LINEAR, borderValue=255
        )
        # At half the working size: four times cheaper, still well under a pixel of the page.
        half = cv2.resize(
            warped,
            (reference.smooth.shape[1], reference.smooth.shape[0]),
            interpolation=cv2.INTER_AREA,
        )
        start = np.eye(3, 3, dtype=np.float32)
        if motion == cv2.MOTION_AFFINE:
            start = start[:2]
        try:
            _cc, correction = cv2.findTransformECC(
                reference.smooth,
                cv2.GaussianBlur(half, (0, 0), 1.0).astype(np.float32),
                start,
                motion,
                (cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 40, 1e-4),
                None,
                1,
            )
        except cv2.error:
            continue
        if correction.shape[0] == 2:
            correction = np.vstack([correction, [0, 0, 1]])
        # ECC maps blank → page at half size; bring it to the working size and invert.
        correction = np.linalg.inv(to_half) @ correction @ to_half
        refined = np.linalg.inv(correction) @ homography
        if not _plausible(refined):
            continue
        refined_warped = cv2.warpPerspective(
            small, refined, size, flags=cv2.INTER_LINEAR, borderValue=255
        )
        refined_score = _score(refined_warped, reference)
        if refined_score > score:
            homography, score = refined, refined_score
    return homography, score


def _plausible(homography: np.ndarray) -> bool:
    """Rejects warps no flat page could need (mirror, strong shear, ×3 scale)."""
    affine = homography[:2, :2] / homography[2, 2]
    det = float(np.linalg.det(affine))
    if not 0.3 < det < 3.0:
        return False
    return float(np.abs(homography[2, :2]).max()) < 0.002


def _score(warped_small: np.ndarray, reference: Reference) -> float:
    """Share of the blank form's ink pixels that have ink within 2 pixels on the warped page."""
    cv2 = require("cv2", extra="ocr")
    ys, xs = reference.ink_points
    if len(xs) == 0:
        return 0.0
    # Scanned lines come out lighter (blur, JPEG, down-scaling): anything clearly not paper counts.
    near = cv2.dilate((warped_small < 200).astype(np.uint8), np.ones((5, 5), np.uint8))
    return float(near[ys, xs].mean())
