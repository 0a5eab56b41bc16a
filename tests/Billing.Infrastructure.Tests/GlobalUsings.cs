// Every fixture picks its store from the one list the sandbox keeps.
global using Billing.Sandbox.Databases;
