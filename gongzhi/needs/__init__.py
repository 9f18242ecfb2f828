"""三张清单: residents' needs (需求清单), the community's resources (资源清单) and the projects that join
them (项目清单), each item kept on the books until it is closed with a recorded result (挂账销号)."""
