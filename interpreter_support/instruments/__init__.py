"""Instruments: the engine (definitions, answers, scoring, wording, FHIR; no Flask), their
stored versions and texts with the translation workflow state, and the `instruments` CLI."""
