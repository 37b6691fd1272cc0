"""The program evaluator's area: de-identified data, cohort comparison and exports."""
