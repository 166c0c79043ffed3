"""MovieLens vocabulary: ml-100k's genres and occupations, and the survey's own.

Plain Python, no Django and no pandas, so every app can read the words.
"""

from __future__ import annotations

ML100K_GENRES = [
    "unknown",
    "Action",
    "Adventure",
    "Animation",
    "Children's",
    "Comedy",
    "Crime",
    "Documentary",
    "Drama",
    "Fantasy",
    "Film-Noir",
    "Horror",
    "Musical",
    "Mystery",
    "Romance",
    "Sci-Fi",
    "Thriller",
    "War",
    "Western",
]

OCCUPATIONS = [
    "administrator",
    "artist",
    "doctor",
    "educator",
    "engineer",
    "entertainment",
    "executive",
    "healthcare",
    "homemaker",
    "lawyer",
    "librarian",
    "marketing",
    "none",
    "other",
    "programmer",
    "retired",
    "salesman",
    "scientist",
    "student",
    "technician",
    "writer",
]

# Everyday answers in Korea that ml-100k has no word for (회사원, 공무원, ...) -> the
# ml-100k occupation the model reads them as. Surveys store the answer as chosen
# (so it is shown back as chosen); the model maps it (recommender.ml.data).
SURVEY_OCCUPATIONS = {
    "office_worker": "administrator",
    "civil_servant": "administrator",
    "self_employed": "executive",
    "freelancer": "other",
    "job_seeker": "none",
    "military": "other",
}
# Every answer a survey or profile may store.
OCCUPATION_CHOICES = [*OCCUPATIONS, *SURVEY_OCCUPATIONS]

# ml-1m codes its occupations 0..20 (README of ml-1m); mapped onto the ml-100k names.
ML1M_OCCUPATIONS = {
    0: "other",
    1: "educator",
    2: "artist",
    3: "administrator",
    4: "student",
    5: "student",
    6: "doctor",
    7: "executive",
    8: "scientist",
    9: "homemaker",
    10: "student",
    11: "lawyer",
    12: "programmer",
    13: "retired",
    14: "marketing",
    15: "scientist",
    16: "other",
    17: "technician",
    18: "other",
    19: "none",
    20: "writer",
}
