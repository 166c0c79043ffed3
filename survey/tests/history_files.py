"""Small exports in the real formats of Netflix, Letterboxd and IMDb (written here)."""

from __future__ import annotations

BOM = b"\xef\xbb\xbf"

# Netflix "Viewing activity" (NetflixViewingHistory.csv): a BOM, Title,Date, M/D/YY.
NETFLIX = (
    BOM
    + (
        "Title,Date\n"
        '"Fargo","3/2/24"\n'
        '"기생충","2/28/24"\n'
        '"Stranger Things: Season 4: Chapter One: The Hellfire Club","2/27/24"\n'
        '"오징어 게임: 시즌 1: 무궁화 꽃이 피었습니다","2/26/24"\n'
        '"Heat","1/15/24"\n'
        '"Toy Story","12/24/23"\n'
    ).encode()
)

# Letterboxd export ratings.csv: Date,Name,Year,Letterboxd URI,Rating (0.5-5).
LETTERBOXD_RATINGS = (
    b"Date,Name,Year,Letterboxd URI,Rating\n"
    b"2024-01-03,Fargo,1996,https://boxd.it/2a1K,5\n"
    b"2024-01-04,Heat,1995,https://boxd.it/2b9s,3.5\n"
    b"2024-01-05,Toy Story,1995,https://boxd.it/1y6u,4.5\n"
    b"2024-01-06,Paddington 2,2017,https://boxd.it/cYd2,4\n"
)

# Letterboxd watched.csv: Date,Name,Year,Letterboxd URI.
LETTERBOXD_WATCHED = (
    b"Date,Name,Year,Letterboxd URI\n"
    b"2023-05-01,Heat,1995,https://boxd.it/2b9s\n"
    b"2024-02-01,Fargo,1996,https://boxd.it/2a1K\n"
)

# IMDb "Your ratings" export (1-10), with a TV series and a TV episode (left out).
IMDB = (
    b"Const,Your Rating,Date Rated,Title,Original Title,URL,Title Type,IMDb Rating,"
    b"Runtime (mins),Year,Genres,Num Votes,Release Date,Directors\n"
    b"tt0116282,10,2024-01-02,Fargo,Fargo,https://www.imdb.com/title/tt0116282/,"
    b'Movie,8.1,98,1996,"Comedy, Crime, Drama",700000,1996-03-08,Joel Coen\n'
    b"tt0113277,6,2024-01-03,Heat,Heat,https://www.imdb.com/title/tt0113277/,"
    b'Movie,8.3,170,1995,"Action, Crime, Drama",700000,1995-12-15,Michael Mann\n'
    b"tt4574334,9,2024-01-04,Stranger Things,Stranger Things,"
    b"https://www.imdb.com/title/tt4574334/,TV Series,8.7,51,2016,Drama,1300000,"
    b"2016-07-15,\n"
    b"tt6723592,8,2024-01-05,Chapter Four: The Sauna Test,"
    b"Chapter Four: The Sauna Test,https://www.imdb.com/title/tt6723592/,"
    b"TV Episode,8.9,53,2017,Drama,30000,2017-10-27,\n"
)

WRONG_COLUMNS = b"movie;stars\nFargo;5\n"
BAD_DATE_LINE_3 = b"Title,Date\nFargo,3/2/24\nHeat,yesterday\n"
LATIN1 = "Title,Date\nAmélie,3/2/24\n".encode("latin-1")
