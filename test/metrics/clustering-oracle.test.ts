// scikit-learn 1.2.1 oracle cases of test/fixtures/metrics/clustering.json (see test/metrics/oracle.ts).
import { oracleSuite } from './oracle.ts';

oracleSuite('clustering');
