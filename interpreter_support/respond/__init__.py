"""The pages a client answers on: a self-report link on their own phone, or the clinic's
device handed over (kiosk). Nothing here links to staff pages."""
