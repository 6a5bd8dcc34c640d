"""Similarity across a class: which submissions share code beyond the starter (docs/similarity.md)."""

from grader.similarity.engine import DEFAULT_THRESHOLD, Analysis, Document, Pair, analyse
from grader.similarity.sources import SimilarityError, boilerplate_texts, extract_code, find_documents

__all__ = ["DEFAULT_THRESHOLD", "Analysis", "Document", "Pair", "SimilarityError", "analyse", "boilerplate_texts",
           "extract_code", "find_documents"]
