-- Runs once, when the PostgreSQL volume is first created: one database per SQL variant.
CREATE DATABASE monolith;
CREATE DATABASE services;
-- The microservices: one database per service, none shared.
CREATE DATABASE microservices_catalog;
CREATE DATABASE microservices_inventory;
CREATE DATABASE microservices_orders;
CREATE DATABASE microservices_payments;
CREATE DATABASE microservices_notifications;
