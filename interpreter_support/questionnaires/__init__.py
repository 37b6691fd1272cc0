"""Questionnaire engine: instrument definitions, answer validation, scoring and FHIR."""
