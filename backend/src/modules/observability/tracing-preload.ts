import { loadDotEnvFile, loadTracingSettings } from '../../config/env.js';
import { startTracing } from './tracing.js';

/**
 * main.ts imports this first: with OTEL_EXPORTER_OTLP_ENDPOINT set, tracing starts before any
 * module it instruments is loaded. Without it, this costs one environment read.
 */
loadDotEnvFile();
const settings = loadTracingSettings();
if (settings) startTracing(settings);
