-- One database per service: the services never share tables.
CREATE DATABASE applications;
CREATE DATABASE disbursement;
CREATE DATABASE audit;
