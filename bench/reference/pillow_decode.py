"""Reference: decode + centre-crop-resize JPEGs with Pillow, the way a PyTorch data loader does.

Usage: python3 pillow_decode.py FILE_LIST --size 64 [--dump PATH --dump-count N]
FILE_LIST holds one image path per line. Single process, files in list order. Prints one JSON
line: images/s and CPU time per image. --dump writes the first N results' RGB bytes, concatenated, so the
caller can check both implementations produced the same pictures.
"""
import argparse, json, time

from PIL import Image, ImageOps


def prepare(path, size):
    with Image.open(path) as image:
        rgb = image.convert("RGB")
    # LANCZOS matches sharp's default kernel (lanczos3), so both do the same amount of work.
    return ImageOps.fit(rgb, (size, size), method=Image.Resampling.LANCZOS).tobytes()


def main():
    p = argparse.ArgumentParser()
    p.add_argument("file_list")
    p.add_argument("--size", type=int, default=64)
    p.add_argument("--dump")
    p.add_argument("--dump-count", type=int, default=16)
    a = p.parse_args()
    with open(a.file_list) as f:
        paths = [line.rstrip("\n") for line in f if line.strip()]

    for path in paths[:100]:  # warm-up: imports, codec tables, allocator
        prepare(path, a.size)
    start, cpu_start = time.perf_counter(), time.process_time()
    checksum = 0
    for path in paths:
        checksum += len(prepare(path, a.size))
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    assert checksum == len(paths) * a.size * a.size * 3

    if a.dump:
        with open(a.dump, "wb") as f:
            for path in paths[: a.dump_count]:
                f.write(prepare(path, a.size))
    print(json.dumps({
        "imagesPerSecond": len(paths) / seconds,
        "cpuMicrosecondsPerImage": cpu_seconds / len(paths) * 1e6,
        "count": len(paths),
    }))


if __name__ == "__main__":
    main()
