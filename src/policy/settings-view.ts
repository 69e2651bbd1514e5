// The slice of proxy settings the policy engine reads (config is the one place they are declared).
import type { ProxySettings as AllProxySettings } from '../config/index.js';
import type { SensitiveSwitch } from './routes.js';

export type ProxySettings = AllProxySettings;
export type SensitiveSwitchName = SensitiveSwitch;
