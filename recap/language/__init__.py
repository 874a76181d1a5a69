"""The rules of spoken English news that segment, render and clean share: one home for each."""
