import itertools, sys
from dataclasses import replace
from bench_stories import ecbplus_articles, multinews_articles
from cluster_metrics import scores
from storyline.stories import cluster_stories
from storyline.settings import DEFAULT_SETTINGS as D
ecb, eg = ecbplus_articles()
mn, mg, bp = multinews_articles()
def run(arts, gold, s):
    for a in arts: a.story_id = None
    p = cluster_stories(arts, s)
    ids=[a.id for a in arts]
    return scores([gold[i] for i in ids], [p[i] for i in ids])["bcubed_f1"]
grid = dict(story_neighbors=[5,8], story_relative_cutoff=[0.5,0.35], story_density=[0.05,0.03], story_name_weight=[0.5])
for combo in itertools.product(*grid.values()):
    s = replace(D, **dict(zip(grid, combo)))
    print(combo, round(run(ecb, eg, s),4), round(run(mn, mg, s),4), flush=True)
