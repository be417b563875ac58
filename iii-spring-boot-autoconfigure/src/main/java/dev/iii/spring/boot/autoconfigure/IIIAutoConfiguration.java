package dev.iii.spring.boot.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;

/** TODO(issue 4): being written. */
@AutoConfiguration
public class IIIAutoConfiguration {}
