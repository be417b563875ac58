package dev.iii.engine.config;

/**
 * The cron module ({@code modules::cron::CronModule}). Its adapters only provide locks between
 * engine instances; an embedded engine is one instance, so there is nothing to configure.
 */
public record CronConfig() {}
