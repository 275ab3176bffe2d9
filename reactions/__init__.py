"""Raqib reactions: find statements by tracked speakers in Arabic and English news text.

>>> from reactions import extract
>>> [s.speaker for s in extract("قالت وزارة الخارجية الأمريكية إنها تشعر بالقلق.", published="2020-01-01")]
['us-state-department']
"""

from .extract import explain, extract
from .model import REACTIONS, Attribution, Person, Post, Speaker, Statement
from .registry import Registry, RegistryError, build_registry, load_registry
from .text import detect_language, fold

__all__ = [
    "REACTIONS",
    "Attribution",
    "Person",
    "Post",
    "Registry",
    "RegistryError",
    "Speaker",
    "Statement",
    "build_registry",
    "detect_language",
    "explain",
    "extract",
    "fold",
    "load_registry",
]
