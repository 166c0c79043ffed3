"""Small MovieLens-format directories written by the tests themselves (no real data)."""

from __future__ import annotations

from pathlib import Path

ML100K_ITEMS = [
    "1|Toy Story (1995)|01-Jan-1995||http://x|0|0|0|1|1|1|0|0|0|0|0|0|0|0|0|0|0|0|0",
    "2|Usual Suspects, The (1995)|14-Aug-1995||http://x|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|1|0|0",
    "3|Cit\xe9 des enfants perdus, La (1995)|01-Jan-1995||http://x|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|1|0|0|0",
    "4|unknown||||1|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0|0",
]
ML100K_USERS = ["1|24|M|technician|85711", "2|53|F|other|94043", "3|23|M|writer|32067"]
ML100K_RATINGS = [
    "1\t1\t5\t874965758",
    "1\t2\t3\t876893171",
    "2\t1\t4\t878542960",
    "2\t3\t1\t876893119",
    "3\t2\t2\t889751712",
]


def write_ml100k(folder: Path, ratings: list[str] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "u.item").write_bytes("\n".join(ML100K_ITEMS).encode("latin-1") + b"\n")
    (folder / "u.user").write_text("\n".join(ML100K_USERS) + "\n")
    lines = ML100K_RATINGS if ratings is None else ratings
    (folder / "u.data").write_text("\n".join(lines) + "\n")
    return folder


def write_ml1m(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "movies.dat").write_bytes(
        "1::Toy Story (1995)::Animation|Children's|Comedy\n"
        "2::Jumanji (1995)::Adventure|Children's|Fantasy\n"
        "3::Heat (1995)::Action|Crime|Thriller\n".encode("latin-1")
    )
    (folder / "users.dat").write_text("1::F::1::10::48067\n2::M::56::16::70072\n")
    (folder / "ratings.dat").write_text(
        "1::1::5::978300760\n1::3::3::978302109\n2::2::4::978301968\n"
    )
    return folder


def write_latest(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "movies.csv").write_text(
        "movieId,title,genres\n"
        "1,Toy Story (1995),Adventure|Animation|Children|Comedy|Fantasy\n"
        '2,"American President, The (1995)",Comedy|Drama|Romance\n'
        "3,Some Film,(no genres listed)\n"
    )
    (folder / "links.csv").write_text(
        "movieId,imdbId,tmdbId\n1,0114709,862\n2,0112346,9087\n3,,\n"
    )
    (folder / "ratings.csv").write_text(
        "userId,movieId,rating,timestamp\n"
        "1,1,4.0,964982703\n1,2,3.5,964981247\n7,1,0.5,964982224\n"
    )
    return folder
