"""The vocabulary of the programme, shared by every stage: periods, the catalog, administrative
units, text normalisation, Vietnamese number notation, the words shown to readers, and the
columns of the tidy and quality tables. Nothing here reads a report or writes a file."""
