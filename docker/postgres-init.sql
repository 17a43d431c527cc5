-- Runs once, when the PostgreSQL volume is first created: one database per SQL variant.
CREATE DATABASE monolith;
CREATE DATABASE services;
