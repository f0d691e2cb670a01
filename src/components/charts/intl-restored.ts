// Imported by charts.ts right after uplot, which has made its formatters by now.
import { restoreIntl } from './intl-deferred.ts';

restoreIntl();
