/**
 * Imported first by every app entry, so its effects precede any module that could dial: the SDK
 * starts a heartbeat Worker as soon as it connects.
 */
import { installTrustedWorker } from './trusted-worker.ts';

installTrustedWorker();
