"""Citizen participation: participatory budgeting, surveys, complaints."""
